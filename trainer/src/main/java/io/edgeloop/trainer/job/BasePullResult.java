package io.edgeloop.trainer.job;

import io.edgeloop.trainer.base.BaseEntry;
import io.edgeloop.trainer.base.DownloadOutcome;
import io.edgeloop.trainer.base.PulledPackage;

/**
 * What a pull did.
 *
 * @param entry    the catalogue entry
 * @param download the verified cached file and whether it was downloaded now
 * @param pulled   the model package written from it
 */
public record BasePullResult(BaseEntry entry, DownloadOutcome download, PulledPackage pulled) {
}
