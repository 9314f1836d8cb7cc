using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BehaviorPoints.Core.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class FitDashboardAndRescoring : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ScoreEntries_LeadId_OccurredAt",
                table: "ScoreEntries");

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

            migrationBuilder.AddColumn<DateTime>(
                name: "RescoredAt",
                table: "Leads",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RescoredVersion",
                table: "Leads",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "TeamId",
                table: "IntentLevelChanges",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DailyLevelEntries",
                columns: table => new
                {
                    Day = table.Column<DateTime>(type: "TEXT", nullable: false),
                    TeamId = table.Column<int>(type: "INTEGER", nullable: false),
                    Level = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DailyLevelEntries", x => new { x.Day, x.TeamId, x.Level });
                });

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

            migrationBuilder.CreateTable(
                name: "RescoreRuns",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StartedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Total = table.Column<int>(type: "INTEGER", nullable: false),
                    Done = table.Column<int>(type: "INTEGER", nullable: false),
                    LastLeadId = table.Column<long>(type: "INTEGER", nullable: false),
                    FinishedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RescoreRuns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SupersededScoreEntries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    EntryId = table.Column<long>(type: "INTEGER", nullable: false),
                    LeadId = table.Column<long>(type: "INTEGER", nullable: false),
                    Points = table.Column<int>(type: "INTEGER", nullable: false),
                    RuleName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    RuleSetVersion = table.Column<int>(type: "INTEGER", nullable: true),
                    BehaviorId = table.Column<long>(type: "INTEGER", nullable: true),
                    EventId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    BehaviorType = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    OccurredAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ScoredAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SupersededAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SupersededByVersion = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SupersededScoreEntries", x => x.Id);
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

            migrationBuilder.CreateIndex(
                name: "IX_RescoreRuns_FinishedAt",
                table: "RescoreRuns",
                column: "FinishedAt");

            migrationBuilder.CreateIndex(
                name: "IX_SupersededScoreEntries_LeadId_Id",
                table: "SupersededScoreEntries",
                columns: new[] { "LeadId", "Id" });

            // Databases that already hold entries and level changes: fill the daily roll-ups from them, give past level
            // changes their lead's team, and count every future change with a trigger (in the inserting transaction).
            migrationBuilder.Sql("""
                INSERT INTO "DailyPoints" ("Day", "TeamId", "BehaviorType", "RuleName", "Points", "Entries")
                SELECT date(e."OccurredAt") || ' 00:00:00', COALESCE(l."TeamId", 0), COALESCE(e."BehaviorType", ''), e."RuleName", SUM(e."Points"), COUNT(*)
                FROM "ScoreEntries" e JOIN "Leads" l ON l."Id" = e."LeadId"
                WHERE e."Kind" = 'Rule'
                GROUP BY 1, 2, 3, 4;
                UPDATE "IntentLevelChanges" SET "TeamId" = (SELECT "TeamId" FROM "Leads" WHERE "Leads"."Id" = "IntentLevelChanges"."LeadId");
                INSERT INTO "DailyLevelEntries" ("Day", "TeamId", "Level", "Count")
                SELECT date("ChangedAt") || ' 00:00:00', COALESCE("TeamId", 0), "To", COUNT(*)
                FROM "IntentLevelChanges" WHERE "To" IS NOT NULL
                GROUP BY 1, 2, 3;
                CREATE TRIGGER "IntentLevelChanges_CountDaily" AFTER INSERT ON "IntentLevelChanges"
                WHEN NEW."To" IS NOT NULL
                BEGIN
                    INSERT INTO "DailyLevelEntries" ("Day", "TeamId", "Level", "Count")
                    VALUES (date(NEW."ChangedAt") || ' 00:00:00', COALESCE(NEW."TeamId", 0), NEW."To", 1)
                    ON CONFLICT ("Day", "TeamId", "Level") DO UPDATE SET "Count" = "Count" + 1;
                END;
                """);

            // Lead search: an FTS5 trigram index over name, company and email, kept by triggers.
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "LeadSearch" USING fts5("Name", "Company", "Email", content='Leads', content_rowid='Id', tokenize='trigram');
                INSERT INTO "LeadSearch"("LeadSearch") VALUES ('rebuild');
                CREATE TRIGGER "Leads_Search_Insert" AFTER INSERT ON "Leads" BEGIN
                    INSERT INTO "LeadSearch"(rowid, "Name", "Company", "Email") VALUES (NEW."Id", NEW."Name", NEW."Company", NEW."Email");
                END;
                CREATE TRIGGER "Leads_Search_Delete" AFTER DELETE ON "Leads" BEGIN
                    INSERT INTO "LeadSearch"("LeadSearch", rowid, "Name", "Company", "Email") VALUES ('delete', OLD."Id", OLD."Name", OLD."Company", OLD."Email");
                END;
                CREATE TRIGGER "Leads_Search_Update" AFTER UPDATE OF "Name", "Company", "Email" ON "Leads" BEGIN
                    INSERT INTO "LeadSearch"("LeadSearch", rowid, "Name", "Company", "Email") VALUES ('delete', OLD."Id", OLD."Name", OLD."Company", OLD."Email");
                    INSERT INTO "LeadSearch"(rowid, "Name", "Company", "Email") VALUES (NEW."Id", NEW."Name", NEW."Company", NEW."Email");
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS "Leads_Search_Insert";
                DROP TRIGGER IF EXISTS "Leads_Search_Delete";
                DROP TRIGGER IF EXISTS "Leads_Search_Update";
                DROP TABLE IF EXISTS "LeadSearch";
                """);
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "IntentLevelChanges_CountDaily";""");
            migrationBuilder.DropTable(
                name: "DailyLevelEntries");

            migrationBuilder.DropTable(
                name: "DailyPoints");

            migrationBuilder.DropTable(
                name: "FitModels");

            migrationBuilder.DropTable(
                name: "FitModelVersions");

            migrationBuilder.DropTable(
                name: "RescoreRuns");

            migrationBuilder.DropTable(
                name: "SupersededScoreEntries");

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
                name: "RescoredAt",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "RescoredVersion",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "TeamId",
                table: "IntentLevelChanges");

            migrationBuilder.CreateIndex(
                name: "IX_ScoreEntries_LeadId_OccurredAt",
                table: "ScoreEntries",
                columns: new[] { "LeadId", "OccurredAt" });
        }
    }
}
