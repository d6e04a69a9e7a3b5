/**
 * Tests of what the build ships, run by failsafe after {@code package} ({@code *IT}): the per-platform agent jars,
 * the jlink runtimes and the Debian packages, installed, upgraded and removed in a throwaway root, and the
 * aarch64 agent running under QEMU user-mode emulation. Built by {@code edge-agent/src/deb/*.sh}; documented in
 * {@code devices/README.md}.
 */
package io.edgeloop.agent.packaging;
