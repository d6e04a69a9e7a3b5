/**
 * Frame sources, several per agent, each for one camera: folder, replay, HTTP snapshot, MJPEG stream and ffmpeg.
 * A {@link io.edgeloop.agent.source.SourceRunner} runs each source on its own thread and restarts it with
 * exponential backoff and jitter when it fails, so one broken camera never stops the others.
 */
package io.edgeloop.agent.source;
