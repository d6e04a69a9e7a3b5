/**
 * The model registry: versions kept as {@code <registry>/<name>/<version>/} (the model package, its report, its
 * metrics and the labelled hard examples it was trained on), their lineage (the parent version a fine-tune started
 * from, found by the base's SHA-256) and which devices run which version (matched by SHA-256 against the devices'
 * retained status). Engine-free: it reads and copies files; training and MQTT happen elsewhere.
 */
package io.edgeloop.trainer.registry;
