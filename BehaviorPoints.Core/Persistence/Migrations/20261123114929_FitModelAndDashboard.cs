using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BehaviorPoints.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class FitModelAndDashboard : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "FitLevel",
                table: "Leads",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "FitVersion",
                table: "Leads",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "TeamId",
                table: "IntentLevelChanges",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DailyPoints",
                columns: table => new
                {
                    Day = table.Column<DateTime>(type: "TEXT", nullable: false),
                    TeamId = table.Column<int>(type: "INTEGER", nullable: false),
                    BehaviorType = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    RuleName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Points = table.Column<long>(type: "INTEGER", nullable: false),
                    Entries = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DailyPoints", x => new { x.Day, x.TeamId, x.BehaviorType, x.RuleName });
                });

            migrationBuilder.CreateTable(
                name: "FitModels",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DraftJson = table.Column<string>(type: "TEXT", nullable: false),
                    DraftUpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    PublishedVersion = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FitModels", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "FitModelVersions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    DefinitionJson = table.Column<string>(type: "TEXT", nullable: false),
                    PublishedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    PublishedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FitModelVersions", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_FitVersion",
                table: "Leads",
                column: "FitVersion");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_IntentLevel_FitLevel_Status",
                table: "Leads",
                columns: new[] { "IntentLevel", "FitLevel", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_TeamId_IntentLevel_FitLevel_Status",
                table: "Leads",
                columns: new[] { "TeamId", "IntentLevel", "FitLevel", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_IntentLevelChanges_TeamId_ChangedAt_To",
                table: "IntentLevelChanges",
                columns: new[] { "TeamId", "ChangedAt", "To" });

            migrationBuilder.CreateIndex(
                name: "IX_FitModelVersions_Version",
                table: "FitModelVersions",
                column: "Version",
                unique: true);

            // Databases created before the roll-up: fill it from the entries already written, and give past level
            // changes their lead's team, so the dashboard is complete from the first start after the upgrade.
            migrationBuilder.Sql("""
                INSERT INTO "DailyPoints" ("Day", "TeamId", "BehaviorType", "RuleName", "Points", "Entries")
                SELECT date(e."OccurredAt") || ' 00:00:00', COALESCE(l."TeamId", 0), COALESCE(e."BehaviorType", ''), e."RuleName", SUM(e."Points"), COUNT(*)
                FROM "ScoreEntries" e JOIN "Leads" l ON l."Id" = e."LeadId"
                WHERE e."Kind" = 'Rule'
                GROUP BY 1, 2, 3, 4;
                UPDATE "IntentLevelChanges" SET "TeamId" = (SELECT "TeamId" FROM "Leads" WHERE "Leads"."Id" = "IntentLevelChanges"."LeadId");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DailyPoints");

            migrationBuilder.DropTable(
                name: "FitModels");

            migrationBuilder.DropTable(
                name: "FitModelVersions");

            migrationBuilder.DropIndex(
                name: "IX_Leads_FitVersion",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_IntentLevel_FitLevel_Status",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_TeamId_IntentLevel_FitLevel_Status",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_IntentLevelChanges_TeamId_ChangedAt_To",
                table: "IntentLevelChanges");

            migrationBuilder.DropColumn(
                name: "FitLevel",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "FitVersion",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "TeamId",
                table: "IntentLevelChanges");
        }
    }
}
