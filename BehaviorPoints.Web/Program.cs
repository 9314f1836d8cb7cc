using BehaviorPoints.Web;
using BehaviorPoints.Web.Cli;

var builder = WebApplication.CreateBuilder(args);
builder.AddBehaviorPoints();

var app = builder.Build();
await app.InitializeDatabaseAsync();

if (OperatorCommands.IsCommand(args))
{
    return await OperatorCommands.RunAsync(app.Services, args, Console.Out, Console.Error);
}

app.UseBehaviorPoints();
app.PrintWelcomeOnStart();
await app.RunAsync();
return 0;
