/** The workstation's embedded MQTT 5 broker, for the demo and for sites without a broker of their own. */
package io.edgeloop.trainer.broker;
