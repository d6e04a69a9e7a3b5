package io.edgeloop.trainer.base;

import io.edgeloop.protocol.model.ModelCard;
import java.nio.file.Path;
import java.util.List;

/**
 * The model package a pulled base became.
 *
 * @param file    the written ONNX file with its card
 * @param card    the card in it
 * @param notices things the user should know (a graph input named differently from the catalogue, an NHWC input
 *                that was adapted)
 */
public record PulledPackage(Path file, ModelCard card, List<String> notices) {

    public PulledPackage {
        notices = List.copyOf(notices);
    }
}
