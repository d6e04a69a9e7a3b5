/**
 * Active learning at the edge: choosing frames worth a label. Selectors (low confidence, small top-1/top-2 margin,
 * high entropy, chosen classes, a random audit sample, shadow-model disagreement) each propose a frame; budgets per
 * minute/hour/day (shared and per selector) and near-duplicate suppression by a perceptual hash decide what is sent.
 */
package io.edgeloop.agent.hard;
