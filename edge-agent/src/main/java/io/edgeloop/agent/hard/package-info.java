/**
 * Active learning at the edge: choosing frames the model finds hard (low confidence or small top-1/top-2 margin),
 * rate-limited per minute/hour/day and with near-duplicates suppressed by a perceptual hash.
 */
package io.edgeloop.agent.hard;
