using ArchUnitNET.Domain;
using ArchUnitNET.Domain.Dependencies;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using BehaviorPoints.Core.Composition;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace BehaviorPoints.Tests.Architecture;

/// <summary>
/// The picture in the README's "Where things live", enforced: Core's folders are modules in a one-way order, each
/// depending only on modules before it; the scoring engine depends on nothing but the base library; provider-specific
/// code stays in the provider's folder.
/// </summary>
public sealed class ModuleOrderTests
{
    /// <summary>
    /// Core's modules, lowest first. A module may use the ones above it in this list, never the ones below. Webhooks sits
    /// just after Scoring because every later module that changes a lead reports it through the outbox; Composition (the
    /// service registration) comes last because it names everything.
    /// </summary>
    public static readonly string[] Order =
        ["Engine", "Domain", "Persistence", "Accounts", "Behaviors", "Scoring", "Webhooks", "RuleSets", "Fit", "Leads", "Dashboard", "Routing", "Tracking", "Predictive", "Demo", "Sqlite", "PostgreSql", "Composition"];

    private const string Core = "BehaviorPoints.Core";

    internal static readonly ArchUnitNET.Domain.Architecture CoreAssembly = new ArchLoader().LoadAssemblies(typeof(DependencyInjection).Assembly).Build();

    private static string Pattern(IEnumerable<string> modules) =>
        $@"^{Core.Replace(".", @"\.")}\.({string.Join("|", modules)})(\..*)?$";

    /// <summary>Every module with a module after it (the last one has nothing it must not use).</summary>
    public static TheoryData<string> ModulesWithLaterOnes() => [.. Order[..^1]];

    [Theory]
    [MemberData(nameof(ModulesWithLaterOnes))]
    public void A_module_uses_only_the_modules_before_it(string module)
    {
        var later = Order.SkipWhile(m => m != module).Skip(1).ToList();
        Types().That().ResideInNamespaceMatching(Pattern([module]))
            .Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching(Pattern(later))
            .Because($"{module} comes before {string.Join(", ", later)} in the module order")
            .Check(CoreAssembly);
    }

    [Fact]
    public void Every_folder_of_core_is_a_module_in_the_order()
    {
        var namespaces = CoreAssembly.Types
            .Select(t => t.Namespace.FullName)
            .Where(n => n.StartsWith(Core + ".", StringComparison.Ordinal))
            .Select(n => n[(Core.Length + 1)..].Split('.')[0])
            .Distinct()
            .ToList();

        Assert.Empty(namespaces.Except(Order));
    }

    [Fact]
    public void Modules_are_free_of_cycles()
    {
        ArchUnitNET.Fluent.Slices.SliceRuleDefinition.Slices().Matching(Core + ".(*)").Should().BeFreeOfCycles().Check(CoreAssembly);
    }

    /// <summary>
    /// Pure: no files, network, clock, database or logging. Time comes in as an argument, so a replay or a preview
    /// scores exactly as ingest did.
    /// </summary>
    [Fact]
    public void The_engine_uses_no_io_network_clock_database_or_logging()
    {
        Types().That().ResideInNamespaceMatching(Pattern(["Engine"]))
            .Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching(
                @"^(System\.IO|System\.Net|System\.Net\.Http|Microsoft\.EntityFrameworkCore|Microsoft\.Extensions\.Logging)(\..*)?$")
            .AndShould().NotDependOnAnyTypesThat().HaveFullName(typeof(TimeProvider).FullName!)
            .Check(CoreAssembly);

        var readsTheClock = EngineTypes()
            .SelectMany(t => t.Dependencies.OfType<MethodCallDependency>().Select(call => (Type: t.FullName, Called: call.TargetMember.FullName)))
            .Where(c => c.Called.Contains("System.DateTime::get_UtcNow(", StringComparison.Ordinal)
                || c.Called.Contains("System.DateTime::get_Now(", StringComparison.Ordinal)
                || c.Called.Contains("System.DateTime::get_Today(", StringComparison.Ordinal)
                || c.Called.Contains("System.DateTimeOffset::get_UtcNow(", StringComparison.Ordinal)
                || c.Called.Contains("System.DateTimeOffset::get_Now(", StringComparison.Ordinal))
            .Select(c => $"{c.Type} calls {c.Called}")
            .Distinct()
            .ToList();
        Assert.Empty(readsTheClock);
    }

    [Fact]
    public void The_engine_uses_no_module_and_no_shared_type_but_the_error_types()
    {
        Types().That().ResideInNamespaceMatching(Pattern(["Engine"]))
            .Should().NotDependOnAnyTypesThat().HaveFullNameMatching(
                $@"^{Core.Replace(".", @"\.")}\.(?!Engine\.|FieldError$|ValidationFailedException$).+$")
            .Check(CoreAssembly);
    }

    [Fact]
    public void The_shared_types_at_the_root_use_no_module()
    {
        Types().That().ResideInNamespace(Core)
            .Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching(Pattern(Order))
            .Check(CoreAssembly);
    }

    /// <summary>
    /// The user (<c>ApplicationUser</c>, an Identity user) is the one domain entity that is Identity's: leads and tasks
    /// point at it, and EF's Identity stores need it there. Nothing else of the domain may lean on Identity or ASP.NET Core.
    /// </summary>
    [Fact]
    public void The_domain_uses_identity_only_for_the_user_entity()
    {
        Types().That().ResideInNamespaceMatching(Pattern(["Domain"])).And().DoNotHaveName("ApplicationUser")
            .Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching(@"^Microsoft\.AspNetCore(\..*)?$")
            .Check(CoreAssembly);
    }

    [Fact]
    public void Only_the_postgresql_module_talks_to_postgresql()
    {
        Types().That().ResideInNamespaceMatching(Pattern(Order.Where(m => m is not "PostgreSql" and not "Composition")))
            .Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching(@"^(Npgsql|NpgsqlTypes|Npgsql\.EntityFrameworkCore\.PostgreSQL)(\..*)?$")
            .Check(CoreAssembly);
    }

    [Fact]
    public void The_providers_do_not_use_each_other()
    {
        Types().That().ResideInNamespaceMatching(Pattern(["Sqlite"]))
            .Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching(Pattern(["PostgreSql"]))
            .Check(CoreAssembly);
    }

    [Fact]
    public void Only_the_sqlite_module_talks_to_sqlite()
    {
        Types().That().ResideInNamespaceMatching(Pattern(Order.Where(m => m is not "Sqlite" and not "Composition")))
            .Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching(@"^(Microsoft\.Data\.Sqlite|SQLitePCL|Microsoft\.EntityFrameworkCore\.Sqlite)(\..*)?$")
            .Check(CoreAssembly);
    }

    /// <summary>Scoring knows its reactions only as a list of handlers: it names neither routing nor webhooks.</summary>
    [Fact]
    public void Scoring_names_no_reaction_to_a_score_change()
    {
        Types().That().ResideInNamespaceMatching(Pattern(["Scoring"]))
            .Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching(Pattern(["Routing", "Webhooks", "Fit", "Predictive"]))
            .Check(CoreAssembly);
    }

    private static IEnumerable<IType> EngineTypes() =>
        CoreAssembly.Types.Where(t => t.Namespace.FullName.StartsWith(Core + ".Engine", StringComparison.Ordinal));
}
