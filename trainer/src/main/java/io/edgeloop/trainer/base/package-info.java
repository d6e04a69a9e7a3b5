/**
 * Pretrained bases from a catalogue: the catalogue of published ImageNet classifiers ({@link
 * io.edgeloop.trainer.base.BaseCatalog}, a versioned JSON resource or a team's own file), the local cache of
 * verified downloads ({@link io.edgeloop.trainer.base.BaseCache}), the HTTP download with resume, proxy, timeouts
 * and SHA-256 verification ({@link io.edgeloop.trainer.base.BaseDownloader}) and the model package a pulled base
 * becomes ({@link io.edgeloop.trainer.base.BasePackager}).
 */
package io.edgeloop.trainer.base;
