package io.edgeloop.trainer.datasets;

import java.io.IOException;

/** A dataset's files are not where they were looked for; the message says where it looked and how to get them. */
public final class DatasetNotFoundException extends IOException {

    private static final long serialVersionUID = 1L;

    /** @param message the missing file and how to install or point to the dataset */
    public DatasetNotFoundException(String message) {
        super(message);
    }
}
