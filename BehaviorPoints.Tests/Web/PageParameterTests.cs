using System.Net;
using BehaviorPoints.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace BehaviorPoints.Tests.Web;

/// <summary>
/// No value of a page's query or route parameter answers 500 or the browser's bare 404: a value that means nothing is
/// ignored (the page's default) or named in a message, and an address that names nothing shows the app's own page.
/// </summary>
public sealed class PageParameterTests(MatrixFactory app) : IClassFixture<MatrixFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => app.SeedUsersAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string> MeaninglessQueries() =>
    [
        "/dashboard?team=North", "/dashboard?team=-1", "/dashboard?team=99999999999", "/dashboard?from=yesterday&to=2026-13-45",
        "/dashboard?from=2026-12-01&to=2025-01-01",
        "/leads?min=lots&max=%00&team=North&sort=sideways&likelihood=150&owner=everyone&category=%3Cscript%3E&categoryMin=x&stage=nowhere&level=Boiling&fit=Z",
        "/leads?q=" + "%27%22%3C%3E", "/tasks?status=nonsense", "/admin/scoring-rules?step=99",
    ];

    [Theory]
    [MemberData(nameof(MeaninglessQueries))]
    public async Task A_query_value_that_means_nothing_shows_the_page_not_an_error(string url)
    {
        var client = await SignedInAsync();

        var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("could not be loaded", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Addresses no route matches: the app's not-found page, with its menu, status 404.</summary>
    public static TheoryData<string> AddressesOfNothing() =>
    [
        "/leads/abc", "/leads/99999999999999999999", "/admin/webhooks/abc", "/admin/scoring-rules/versions/abc", "/admin/scoring-rules/versions/1.5", "/no/such/page",
    ];

    [Theory]
    [MemberData(nameof(AddressesOfNothing))]
    public async Task An_address_that_names_nothing_shows_the_apps_not_found_page(string url)
    {
        var client = await SignedInAsync();

        var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("Nothing here", body, StringComparison.Ordinal);
        Assert.Contains("Back to the overview", body, StringComparison.Ordinal);
    }

    /// <summary>Ids of the right shape that name nothing: the page opens and says so once it has looked (its bUnit tests read the words).</summary>
    [Theory]
    [InlineData("/leads/999999")]
    [InlineData("/leads/-5")]
    [InlineData("/admin/webhooks/999999")]
    [InlineData("/admin/scoring-rules/versions/999999")]
    public async Task An_id_that_names_nothing_opens_its_page_rather_than_an_error(string url)
    {
        var client = await SignedInAsync();

        var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<HttpClient> SignedInAsync()
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        await FormSignIn.SignInAsync(client, "admin@matrix.test", MatrixFactory.Password);
        return client;
    }
}
