/**
 * Content hashes both sides agree on: {@link io.edgeloop.protocol.digest.Sha256} names model files, hard-example
 * images, signing keys and training data by the SHA-256 of their bytes.
 */
package io.edgeloop.protocol.digest;
