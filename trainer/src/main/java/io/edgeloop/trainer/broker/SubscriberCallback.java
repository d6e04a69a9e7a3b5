package io.edgeloop.trainer.broker;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * The Paho MQTT 5 callback of the trainer's clients (collector, deployer, the demo's event watcher): they react to
 * arrived messages and to a lost connection; the rest of Paho's callbacks mean nothing to them (their few publishes
 * wait on their own tokens, connects are synchronous, there is no enhanced authentication), so they are no-ops here.
 */
public abstract class SubscriberCallback implements MqttCallback {

    @Override
    public abstract void messageArrived(String topic, MqttMessage message) throws Exception;

    /**
     * The connection dropped or Paho reported an error.
     *
     * @param what a readable description: {@code disconnected (reason)} or {@code MQTT error: …}
     * @param lost whether the connection is gone (a disconnect), not just an error report
     */
    protected abstract void trouble(String what, boolean lost);

    @Override
    public final void disconnected(MqttDisconnectResponse response) {
        Object reason = response.getReasonString() != null ? response.getReasonString() : response.getException();
        trouble("disconnected (" + reason + ")", true);
    }

    @Override
    public final void mqttErrorOccurred(MqttException exception) {
        trouble("MQTT error: " + exception, false);
    }

    @Override
    public final void deliveryComplete(IMqttToken token) {
        // publishers wait on their tokens
    }

    @Override
    public final void connectComplete(boolean reconnect, String serverUri) {
        // connects are synchronous; the caller reports them
    }

    @Override
    public final void authPacketArrived(int reasonCode, MqttProperties properties) {
        // no enhanced authentication
    }
}
