using System.Text.RegularExpressions;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace BehaviorPoints.Tests.Architecture;

/// <summary>
/// The web project's two faces kept apart: the HTTP endpoints (<c>Api/</c>) and the pages (<c>Components/</c>) share
/// Core's services and the small neutral folders (<c>Urls/</c>, <c>Localization/</c>, the theme), never each other; the
/// pages reach data only through Core's services.
/// </summary>
public sealed class WebLayerTests
{
    private const string Web = @"BehaviorPoints\.Web";

    private static readonly ArchUnitNET.Domain.Architecture s_web = new ArchLoader()
        .LoadAssemblies(typeof(Program).Assembly, typeof(BehaviorPoints.Core.Composition.DependencyInjection).Assembly)
        .Build();

    [Fact]
    public void The_api_does_not_use_the_components()
    {
        Types().That().ResideInNamespaceMatching($@"^{Web}\.Api(\..*)?$")
            .Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching($@"^{Web}\.Components(\..*)?$")
            .Check(s_web);
    }

    [Fact]
    public void The_components_do_not_use_the_api()
    {
        Types().That().ResideInNamespaceMatching($@"^{Web}\.Components(\..*)?$")
            .Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching($@"^{Web}\.Api(\..*)?$")
            .Check(s_web);
    }

    /// <summary>Every <c>MapGet</c>, <c>MapPost</c>, ... is in <c>Api/</c>; the Identity template's account endpoints stay with its pages.</summary>
    [Fact]
    public void Http_endpoints_live_under_api_with_the_account_pages_aside()
    {
        var mapping = s_web.Types
            .Where(t => t.Assembly.FullName == typeof(Program).Assembly.FullName)
            .Where(t => t.Dependencies.Any(d => d.Target.FullName == "Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions"))
            .ToList();

        Assert.Contains(mapping, t => t.Name == "LeadsEndpoints");
        Assert.Empty(mapping.Where(t => !Regex.IsMatch(t.Namespace.FullName, $@"^{Web}\.(Api|Components\.Account)(\..*)?$")).Select(t => t.FullName));
    }

    [Fact]
    public void No_component_touches_a_database_context()
    {
        Types().That().ResideInNamespaceMatching($@"^{Web}\.Components(\..*)?$")
            .Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching(@"^Microsoft\.EntityFrameworkCore(\..*)?$")
            .AndShould().NotDependOnAnyTypesThat().HaveFullNameMatching(@"^BehaviorPoints\.Core\.(Persistence\.BehaviorPointsDbContext|Sqlite\..+|PostgreSql\..+)$")
            .Check(s_web);
    }
}
