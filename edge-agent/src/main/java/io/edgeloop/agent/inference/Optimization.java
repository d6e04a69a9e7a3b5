package io.edgeloop.agent.inference;

import ai.onnxruntime.OrtSession;

/** ONNX Runtime graph optimisation level, as written in the config. */
public enum Optimization {
    NONE(OrtSession.SessionOptions.OptLevel.NO_OPT),
    BASIC(OrtSession.SessionOptions.OptLevel.BASIC_OPT),
    EXTENDED(OrtSession.SessionOptions.OptLevel.EXTENDED_OPT),
    ALL(OrtSession.SessionOptions.OptLevel.ALL_OPT);

    private final OrtSession.SessionOptions.OptLevel level;

    Optimization(OrtSession.SessionOptions.OptLevel level) {
        this.level = level;
    }

    OrtSession.SessionOptions.OptLevel ortLevel() {
        return level;
    }
}
