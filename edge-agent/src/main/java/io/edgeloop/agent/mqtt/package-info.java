/**
 * The agent's MQTT 5 connection: birth/last-will status, reconnect with backoff done by the agent (not Paho),
 * in-order delivery of the on-disk spool, TLS, and Home Assistant discovery.
 */
package io.edgeloop.agent.mqtt;
