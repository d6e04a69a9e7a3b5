package io.edgeloop.trainer.datasets;

import java.io.IOException;

/** An IDX file that does not follow the format (bad magic number, unsupported type, truncated or trailing data). */
public final class IdxFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the file and the bad value */
    public IdxFormatException(String message) {
        super(message);
    }
}
