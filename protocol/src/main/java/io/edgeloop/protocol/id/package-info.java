/**
 * Device and camera identifiers. They become MQTT topic levels and file names, so one rule, checked everywhere
 * an id enters the system.
 */
package io.edgeloop.protocol.id;
