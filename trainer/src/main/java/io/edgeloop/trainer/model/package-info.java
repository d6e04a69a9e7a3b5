/** The trainable network abstraction and the fine-tuning strategies. */
package io.edgeloop.trainer.model;
