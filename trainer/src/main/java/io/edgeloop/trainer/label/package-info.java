/**
 * Turning the hard-example inbox into training data: listing unlabelled examples with the model's top-k, labelling
 * them (by a person, or — for demos — from a ground-truth map that clearly stands in for one), and exporting the
 * labelled ones into an ImageFolder training tree without overwriting anything; the inbox as CSV and back
 * ({@link io.edgeloop.trainer.label.LabelCsv}) for teams that label elsewhere.
 */
package io.edgeloop.trainer.label;
