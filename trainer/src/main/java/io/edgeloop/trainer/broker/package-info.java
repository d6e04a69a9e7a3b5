/**
 * The workstation's MQTT side: an embedded MQTT 5 broker, for the demo and for sites without a broker of their own,
 * and the callback shape of the trainer's MQTT clients.
 */
package io.edgeloop.trainer.broker;
