/**
 * Ed25519 signing of model files, shared by the trainer (signs) and the agent (verifies): key pairs, PEM key files,
 * key ids, signatures over a file's bytes, verification with a precise failure reason, and the device's
 * {@link io.edgeloop.protocol.signing.TrustStore}. JDK cryptography only (no extra dependency).
 */
package io.edgeloop.protocol.signing;
