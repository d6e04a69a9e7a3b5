/**
 * The labelling web app ({@code trainer label serve}): a small local HTTP server (the JDK's
 * {@code com.sun.net.httpserver}) with a plain HTML/CSS/JS page from the class path, no CDN and no network. It shows
 * the inbox's hard examples with the model's guess pre-selected and writes people's answers through the same
 * {@link io.edgeloop.trainer.collect.Inbox} as the command line, each write conditional on the version the browser
 * saw, so two people at once cannot overwrite each other. Loopback by default; bound elsewhere it requires a token.
 */
package io.edgeloop.trainer.labelling;
