/**
 * Image decoding and preprocessing shared by trainer and agent, so training and serving cannot disagree.
 */
package io.edgeloop.protocol.preprocess;
