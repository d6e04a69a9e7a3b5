/**
 * The {@code trainer} command line (picocli): one thin command per workflow (parse, call a {@code job} service,
 * print), the option groups they share ({@link io.edgeloop.trainer.cli.DataOptions},
 * {@link io.edgeloop.trainer.cli.DeviceOptions}, {@link io.edgeloop.trainer.cli.MqttLoginOptions}) and the one
 * exit-code contract ({@link io.edgeloop.trainer.cli.ExitCodes}): 0 success, 2 bad usage or bad input, 1 failure,
 * with one line on stderr naming the command.
 */
package io.edgeloop.trainer.cli;
