/** Durable file writing shared by the trainer and the agent: whole files or none, even across a power cut. */
package io.edgeloop.protocol.files;
