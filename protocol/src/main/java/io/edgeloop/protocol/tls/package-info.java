/**
 * TLS to the fleet broker from PEM files, shared by the agent and the trainer so both read the files that
 * {@code devices/broker/make-fleet-broker.sh} writes the same way: the CA to trust and, for mutual TLS, a client
 * certificate with its PKCS#8 key.
 */
package io.edgeloop.protocol.tls;
