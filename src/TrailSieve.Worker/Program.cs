using TrailSieve.Worker.Cli;

return await TrailSieveCommand.InvokeAsync(args).ConfigureAwait(false);
