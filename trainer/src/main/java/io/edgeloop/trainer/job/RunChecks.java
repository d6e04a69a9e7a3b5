package io.edgeloop.trainer.job;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.trainer.data.ImageFolder;
import io.edgeloop.trainer.model.FineTuneStrategy;
import io.edgeloop.trainer.train.FitResult;
import io.edgeloop.trainer.warning.BaseCheck;
import io.edgeloop.trainer.warning.BaseDomain;
import io.edgeloop.trainer.warning.BaseWeights;
import io.edgeloop.trainer.warning.DataAppearance;
import io.edgeloop.trainer.warning.DomainCheck;
import io.edgeloop.trainer.warning.RunWarning;
import io.edgeloop.trainer.warning.ValidationCheck;
import io.edgeloop.trainer.warning.WarningCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The warning step of {@link FineTuneJob}: the base and data checks before training (so a user can stop early), the
 * validation check after. A check that cannot run becomes a {@link WarningCode#CHECK_FAILED} note with its reason;
 * no check ever stops the run.
 */
final class RunChecks {

    static final String VALIDATION_ADVICE = "use more validation images: a larger --val folder, or more images per"
            + " class (the split holds out --val-fraction of each)";

    private RunChecks() {
    }

    /** Random base and domain mismatch; the random-base check is skipped for SCRATCH, which re-initialises. */
    static List<RunWarning> beforeTraining(Path base, ImageFolder data, int inputSide, FineTuneStrategy strategy) {
        List<RunWarning> warnings = new ArrayList<>();
        ModelProto model;
        Optional<ModelCard> card;
        try (InputStream in = Files.newInputStream(base)) {
            model = ModelProto.parseFrom(in);
            card = card(model);
        } catch (IOException | RuntimeException e) {
            warnings.add(failed("the base " + base, e));
            return warnings;
        }
        try {
            if (strategy != FineTuneStrategy.SCRATCH) {
                BaseCheck.check(base, BaseWeights.of(model, card)).ifPresent(warnings::add);
            }
        } catch (RuntimeException e) {
            warnings.add(failed("the weights of " + base, e));
        }
        try {
            DataAppearance appearance = DataAppearance.measure(data.samples(), new ImageDecoder(DecodeLimits.DEFAULT));
            warnings.addAll(DomainCheck.check(base, BaseDomain.of(model, card), inputSide, appearance));
        } catch (RuntimeException e) {
            warnings.add(failed("the images of " + data.root() + " against " + base, e));
        }
        return warnings;
    }

    /** The validation set's size against its accuracy interval. */
    static Optional<RunWarning> afterTraining(FitResult fit) {
        return ValidationCheck.check(fit.evaluation(), "validation", VALIDATION_ADVICE);
    }

    private static Optional<ModelCard> card(ModelProto model) {
        for (StringStringEntryProto p : model.getMetadataPropsList()) {
            if (p.getKey().equals(ModelCard.METADATA_KEY)) {
                return Optional.of(ModelCard.fromJson(p.getValue()));
            }
        }
        return Optional.empty();
    }

    private static RunWarning failed(String what, Exception e) {
        return new RunWarning(WarningCode.CHECK_FAILED, "could not check " + what + ": " + e.getMessage(),
                "nothing for the run; report it if the file is a valid model");
    }
}
