/**
 * The one JSON configuration of the protocol (model card and MQTT payloads), and the translation of JSON
 * binding failures into messages that name the field, the bad value and what is allowed.
 */
package io.edgeloop.protocol.json;
