package io.edgeloop.trainer.cli;

import picocli.CommandLine.ITypeConverter;

/**
 * {@code --freeze F|NODE}: for PARTIAL, either the fraction (0..1) of the backbone's weight layers to freeze, or
 * the name of the first backbone node that trains (everything before it is frozen).
 *
 * @param fraction the fraction, when given as a number
 * @param node     the node name, when given as a name (then fraction is NaN)
 */
public record FreezePoint(double fraction, String node) {

    /** Parses the option value; a number must lie in 0..1. */
    public static FreezePoint parse(String text) {
        try {
            double f = Double.parseDouble(text);
            if (!(f >= 0 && f <= 1)) {
                throw new IllegalArgumentException("--freeze is " + text + ", allowed a fraction 0..1 or a node name");
            }
            return new FreezePoint(f, null);
        } catch (NumberFormatException notANumber) {
            if (text.isBlank()) {
                throw new IllegalArgumentException("--freeze is blank, allowed a fraction 0..1 or a node name");
            }
            return new FreezePoint(Double.NaN, text);
        }
    }

    public boolean byNode() {
        return node != null;
    }

    /** picocli converter. */
    static final class Converter implements ITypeConverter<FreezePoint> {
        @Override
        public FreezePoint convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
