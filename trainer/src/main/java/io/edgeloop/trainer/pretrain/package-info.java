/**
 * Pretraining edgeloop's own base model: a network built by {@code trainer.arch} trained from random weights on
 * the Fashion-MNIST source task (the six clothing classes), written as a model package that the transfer-learning
 * experiment and users fine-tune.
 */
package io.edgeloop.trainer.pretrain;
