using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core;
using BehaviorPoints.Tests.Support;

namespace BehaviorPoints.Tests.Core.Accounts;

public sealed class UserDirectoryTests : IAsyncLifetime
{
    private CoreDatabase _database = null!;

    private UserDirectory Directory => _database.Get<UserDirectory>();

    public async Task InitializeAsync() => _database = await CoreDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_created_user_is_listed_with_role_and_teams()
    {
        await Directory.CreateAsync("rep@example.com", "Rep!Pass1", new UserChanges(Roles.Sales, ["North", "South"], "Rep One"));

        var user = Assert.Single(await Directory.ListAsync());
        Assert.Equal(("rep@example.com", "Rep One", Roles.Sales), (user.Email, user.DisplayName, user.Role));
        Assert.Equal(["North", "South"], user.Teams);
        Assert.False(user.Disabled);
    }

    [Fact]
    public async Task An_empty_new_user_form_names_every_missing_field_in_its_own_words()
    {
        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => Directory.CreateAsync(null, "", new UserChanges("", [], null)));

        Assert.Equal(
            [
                ("email", "Enter the new user's email address: it is how they sign in."),
                ("password", "Enter a password for the new user."),
                ("role", "Choose a role: Administrator, Sales, Manager."),
            ],
            refused.Errors.Select(e => (e.Field, e.Message)));
        Assert.Empty(await Directory.ListAsync());
    }

    [Theory]
    [InlineData("ana")]
    [InlineData("ana@")]
    [InlineData("ana example@test.com")]
    public async Task An_email_that_is_not_one_is_refused_as_such(string email)
    {
        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => Directory.CreateAsync(email, "Rep!Pass1", new UserChanges(Roles.Sales, [], null)));

        Assert.Equal(("email", $"'{email}' is not an email address."), refused.Errors.Select(e => (e.Field, e.Message)).Single());
    }

    [Fact]
    public async Task Changing_role_and_teams_replaces_them()
    {
        var user = await Directory.CreateAsync("rep@example.com", "Rep!Pass1", new UserChanges(Roles.Sales, ["North"], null));

        await Directory.UpdateAsync(user.Id, new UserChanges(Roles.Manager, ["Enterprise"], "Now a manager"));

        var updated = Assert.Single(await Directory.ListAsync());
        Assert.Equal(Roles.Manager, updated.Role);
        Assert.Equal(["Enterprise"], updated.Teams);
    }

    [Fact]
    public async Task Disabling_and_enabling_a_user_shows_in_the_list()
    {
        var user = await Directory.CreateAsync("rep@example.com", "Rep!Pass1", new UserChanges(Roles.Sales, [], null));

        await Directory.SetDisabledAsync(user.Id, true);
        Assert.True((await Directory.ListAsync())[0].Disabled);
        await Directory.SetDisabledAsync(user.Id, false);
        Assert.False((await Directory.ListAsync())[0].Disabled);
    }

    [Fact]
    public async Task Teams_are_unique_by_name_ignoring_case_and_count_members()
    {
        var teams = _database.Get<TeamService>();
        await teams.CreateAsync("North");
        await Directory.CreateAsync("rep@example.com", "Rep!Pass1", new UserChanges(Roles.Sales, ["north"], null));

        var duplicate = await Assert.ThrowsAsync<ValidationFailedException>(() => teams.CreateAsync(" NORTH "));

        Assert.Equal("A team named 'NORTH' already exists.", duplicate.Errors[0].Message);
        var north = Assert.Single(await teams.ListAsync());
        Assert.Equal(1, north.Members);
    }
}
