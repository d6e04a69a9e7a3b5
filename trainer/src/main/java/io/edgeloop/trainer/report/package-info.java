/**
 * The training report: a self-contained {@code report.html} (inline CSS, charts and thumbnails as base64 PNG, no
 * network) and the machine-readable {@code metrics.json} beside it.
 */
package io.edgeloop.trainer.report;
