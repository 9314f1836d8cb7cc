using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Sqlite;
using BehaviorPoints.Core;

namespace BehaviorPoints.Web.Cli;

/// <summary>
/// The operator commands of SPEC §8. They run against the configured database, print their result and exit; they never
/// start the web server.
/// </summary>
internal static class OperatorCommands
{
    private const string Usage = """
        Usage:
          user create --email E --password P --role Administrator|Sales|Manager [--team T]
          apikey create --name N --scope ingest|admin
          backup --to FILE
        """;

    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] is "user" or "apikey" or "backup";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        var options = ParseOptions(args.Skip(args.ElementAtOrDefault(0) == "backup" ? 1 : 2));
        await using var scope = services.CreateAsyncScope();
        try
        {
            switch (args.ElementAtOrDefault(0), args.ElementAtOrDefault(1))
            {
                case ("user", "create"):
                    var administration = scope.ServiceProvider.GetRequiredService<UserAdministration>();
                    var teams = options.GetValueOrDefault("team") ?? [];
                    var user = await administration.CreateAsync(Required(options, "email"), Required(options, "password"), Required(options, "role"), teams);
                    await output.WriteLineAsync($"Created user {user.Email} ({Required(options, "role")}{(teams.Count > 0 ? ", team " + string.Join(", ", teams) : "")}).");
                    return 0;

                case ("apikey", "create"):
                    var scopeText = Required(options, "scope");
                    if (!Enum.TryParse<ApiKeyScope>(scopeText, ignoreCase: true, out var keyScope) || !Enum.IsDefined(keyScope))
                    {
                        throw new ValidationFailedException("scope", $"Scope '{scopeText}' is not ingest or admin.");
                    }
                    var created = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync(Required(options, "name"), keyScope);
                    await output.WriteLineAsync($"Created {scopeText.ToLowerInvariant()} API key '{created.Name}'. It is shown once; store it now:");
                    await output.WriteLineAsync(created.Key);
                    return 0;

                case ("backup", _):
                    var to = Required(options, "to");
                    var configuration = services.GetRequiredService<IConfiguration>();
                    var database = DatabaseSettings.From(configuration["Database:Provider"], configuration.GetConnectionString("Default"));
                    if (database.Provider == DatabaseProvider.PostgreSql)
                    {
                        await error.WriteLineAsync("On PostgreSQL, back up with the server's own tools, for example:");
                        await error.WriteLineAsync("  pg_dump --format=custom --file=behaviorpoints.dump \"<connection>\"   (restore with pg_restore --clean)");
                        await error.WriteLineAsync("See the README's PostgreSQL section.");
                        return 2;
                    }
                    DatabaseBackup.Run(database.ConnectionString, to);
                    await output.WriteLineAsync($"Backed up the database to {Path.GetFullPath(to)}.");
                    return 0;

                default:
                    await error.WriteLineAsync(Usage);
                    return 2;
            }
        }
        catch (ValidationFailedException invalid)
        {
            foreach (var problem in invalid.Errors)
            {
                await error.WriteLineAsync($"error: {problem.Message}");
            }
            return 1;
        }
        catch (MissingOptionException missing)
        {
            await error.WriteLineAsync($"error: {missing.Message}");
            await error.WriteLineAsync(Usage);
            return 2;
        }
    }

    private static Dictionary<string, List<string>> ParseOptions(IEnumerable<string> args)
    {
        var options = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        string? name = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                name = arg[2..];
                options.TryAdd(name, []);
            }
            else if (name is not null)
            {
                options[name].Add(arg);
                name = null;
            }
        }
        return options;
    }

    private static string Required(Dictionary<string, List<string>> options, string name) =>
        options.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrWhiteSpace(values[0])
            ? values[0]
            : throw new MissingOptionException($"--{name} is required.");

    private sealed class MissingOptionException(string message) : Exception(message);
}
