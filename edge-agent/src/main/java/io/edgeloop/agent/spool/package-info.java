/**
 * Store and forward: a bounded on-disk spool of outgoing MQTT messages (append-only segment files of
 * length + CRC records, a committed offset advanced only after the broker acknowledged), delivered in order.
 */
package io.edgeloop.agent.spool;
