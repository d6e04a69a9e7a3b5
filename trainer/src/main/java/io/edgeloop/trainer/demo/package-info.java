/**
 * {@code trainer demo}: the whole loop in one command on one machine — fine-tune the shipped base model on a few
 * labels, run an edge agent against an embedded broker, collect the frames it finds hard, label them, retrain, sign
 * and deploy the new version, and compare.
 */
package io.edgeloop.trainer.demo;
