using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using BehaviorPoints.Core;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace BehaviorPoints.Tests.Architecture;

/// <summary>
/// The picture in the README's "Where things live", enforced: Core's folders are modules in a one-way order, each
/// depending only on modules before it; the scoring engine depends on nothing but the base library; provider-specific
/// code stays in the provider's folder.
/// </summary>
public sealed class ModuleOrderTests
{
    /// <summary>Core's modules, lowest first. A module may use the ones above it in this list, never the ones below.</summary>
    public static readonly string[] Order =
        ["Engine", "Domain", "Persistence", "Accounts", "Behaviors", "Scoring", "RuleSets", "Fit", "Leads", "Dashboard", "Routing", "Webhooks", "Predictive", "Demo", "Sqlite", "PostgreSql"];

    private const string Core = "BehaviorPoints.Core";

    private static readonly ArchUnitNET.Domain.Architecture s_core = new ArchLoader().LoadAssemblies(typeof(DependencyInjection).Assembly).Build();

    private static string Pattern(IEnumerable<string> modules) =>
        $@"^{Core.Replace(".", @"\.")}\.({string.Join("|", modules)})(\..*)?$";

    public static TheoryData<string> Modules() => [.. Order];

    [Theory]
    [MemberData(nameof(Modules))]
    public void A_module_uses_only_the_modules_before_it(string module)
    {
        var later = Order.SkipWhile(m => m != module).Skip(1).ToList();
        if (later.Count == 0)
        {
            return;
        }

        Types().That().ResideInNamespaceMatching(Pattern([module]))
            .Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching(Pattern(later))
            .Because($"{module} comes before {string.Join(", ", later)} in the module order")
            .Check(s_core);
    }

    [Fact]
    public void Every_folder_of_core_is_a_module_in_the_order()
    {
        var namespaces = s_core.Types
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
        ArchUnitNET.Fluent.Slices.SliceRuleDefinition.Slices().Matching(Core + ".(*)").Should().BeFreeOfCycles().Check(s_core);
    }

    [Fact]
    public void The_engine_depends_on_nothing_but_the_base_library_and_the_shared_error_types()
    {
        Types().That().ResideInNamespaceMatching(Pattern(["Engine"]))
            .Should().OnlyDependOnTypesThat().HaveFullNameMatching(@"^(System\..+|BehaviorPoints\.Core\.Engine\..+|BehaviorPoints\.Core\.(FieldError|ValidationFailedException))$")
            .Check(s_core);
    }

    [Fact]
    public void The_shared_types_at_the_root_use_no_module()
    {
        Types().That().ResideInNamespace(Core).And().DoNotHaveName(nameof(DependencyInjection))
            .Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching(Pattern(Order))
            .Check(s_core);
    }

    [Fact]
    public void Only_the_postgresql_module_talks_to_postgresql()
    {
        Types().That().ResideInNamespaceMatching(Pattern(Order.Where(m => m != "PostgreSql")))
            .Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching(@"^(Npgsql|NpgsqlTypes|Npgsql\.EntityFrameworkCore\.PostgreSQL)(\..*)?$")
            .Check(s_core);
    }

    [Fact]
    public void The_providers_do_not_use_each_other()
    {
        Types().That().ResideInNamespaceMatching(Pattern(["Sqlite"]))
            .Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching(Pattern(["PostgreSql"]))
            .Check(s_core);
    }

    [Fact]
    public void Only_the_sqlite_module_talks_to_sqlite()
    {
        Types().That().ResideInNamespaceMatching(Pattern(Order.Where(m => m != "Sqlite")))
            .Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching(@"^(Microsoft\.Data\.Sqlite|SQLitePCL|Microsoft\.EntityFrameworkCore\.Sqlite)(\..*)?$")
            .Check(s_core);
    }
}
