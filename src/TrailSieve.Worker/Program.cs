using TrailSieve.Worker.Cli;

StartupWarmup.Begin(args);
return await TrailSieveCommand.InvokeAsync(args).ConfigureAwait(false);
