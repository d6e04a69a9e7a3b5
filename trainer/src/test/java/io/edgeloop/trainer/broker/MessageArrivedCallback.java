package io.edgeloop.trainer.broker;

import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/** A Paho callback that only forwards arrived messages. */
final class MessageArrivedCallback extends SubscriberCallback {

    private final IMqttMessageListener listener;

    MessageArrivedCallback(IMqttMessageListener listener) {
        this.listener = listener;
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) throws Exception {
        listener.messageArrived(topic, message);
    }

    @Override
    protected void trouble(String what, boolean lost) {
        // tests see trouble through their assertions
    }
}
