/**
 * Training data: ImageFolder scanning, the train/validation split, decoding with corrupt-file skipping, the
 * in-memory image cache, augmentation, class-imbalance handling, NCHW batches and the dataset fingerprint.
 */
package io.edgeloop.trainer.data;
