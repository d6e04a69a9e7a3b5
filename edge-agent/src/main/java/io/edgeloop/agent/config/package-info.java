/**
 * The agent's YAML configuration: immutable records validated in their constructors, loaded strictly by
 * {@link io.edgeloop.agent.config.ConfigLoader} so that an unknown key, a wrong type or a bad value stops the agent
 * with a message naming the key path, the value and what is allowed.
 */
package io.edgeloop.agent.config;
