/**
 * The model package: one ONNX file whose metadata carries a {@link io.edgeloop.protocol.model.ModelCard} (labels,
 * input, preprocessing, output, calibration, provenance) under the key
 * {@value io.edgeloop.protocol.model.ModelCard#METADATA_KEY},
 * so a device needs nothing else to run the model correctly. {@link io.edgeloop.protocol.model.ModelPackage} reads
 * and writes such files with the ONNX protobuf classes and cross-checks the card against the graph.
 */
package io.edgeloop.protocol.model;
