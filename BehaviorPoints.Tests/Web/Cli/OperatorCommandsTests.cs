using System.Net;
using System.Net.Http.Json;
using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Tests.Support;
using BehaviorPoints.Web.Cli;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace BehaviorPoints.Tests.Web.Cli;

public sealed class OperatorCommandsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await OperatorCommands.RunAsync(api.Services, args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task User_create_makes_a_user_with_the_role_and_a_new_team()
    {
        var (code, output, _) = await RunAsync("user", "create", "--email", "rep@example.com", "--password", "Rep!Pass123", "--role", "sales", "--team", "Pacific");

        Assert.Equal(0, code);
        Assert.Contains("Created user rep@example.com", output);
        await using var scope = api.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByEmailAsync("rep@example.com");
        Assert.NotNull(user);
        Assert.True(await users.IsInRoleAsync(user, Roles.Sales));
        Assert.True(await users.CheckPasswordAsync(user, "Rep!Pass123"));
        await using var db = await api.NewContextAsync();
        Assert.Equal(["Pacific"], db.Users.Where(u => u.Email == "rep@example.com").SelectMany(u => u.Teams).Select(t => t.Name).ToList());
    }

    [Fact]
    public async Task User_create_explains_what_is_wrong()
    {
        var badRole = await RunAsync("user", "create", "--email", "x@example.com", "--password", "Rep!Pass123", "--role", "King");
        var weak = await RunAsync("user", "create", "--email", "y@example.com", "--password", "short", "--role", "Manager");
        var missing = await RunAsync("user", "create", "--email", "z@example.com");

        Assert.Equal(1, badRole.Code);
        Assert.Contains("Role 'King' is not one of Administrator, Sales, Manager.", badRole.Error);
        Assert.Equal(1, weak.Code);
        Assert.Contains("Passwords must be at least", weak.Error);
        Assert.Equal(2, missing.Code);
        Assert.Contains("--password is required.", missing.Error);
    }

    [Fact]
    public async Task Apikey_create_prints_a_working_key_alone_on_its_last_line()
    {
        var (code, output, _) = await RunAsync("apikey", "create", "--name", "Marketing cloud", "--scope", "ingest");

        Assert.Equal(0, code);
        var key = output.TrimEnd().Split('\n')[^1].Trim();
        Assert.StartsWith("bp_", key);
        var client = api.ClientWithKey(key);
        var response = await client.PostAsJsonAsync("/api/v1/events", new { eventId = "cli-key-check", behavior = "form.submit", contact = new { email = "cli@example.com" } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/leads")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_command_prints_the_usage()
    {
        var (code, _, error) = await RunAsync("apikey", "delete");

        Assert.Equal(2, code);
        Assert.Contains("apikey create --name N --scope ingest|admin", error);
    }
}
