using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BehaviorPoints.Core.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class LeadCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_IntentLevel_FitLevel_Status",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_TeamId_IntentLevel_FitLevel_Status",
                table: "Leads");

            migrationBuilder.CreateTable(
                name: "LeadCounts",
                columns: table => new
                {
                    TeamId = table.Column<int>(type: "integer", nullable: false),
                    IntentLevel = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    FitLevel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LeadCounts", x => new { x.TeamId, x.IntentLevel, x.FitLevel, x.Status });
                });

            // Leads per (team, intent level, fit level, status), kept by triggers on every insert, delete and change of those
            // columns, counted once from the leads already there. Frozen here, as migrations must be.
            // Statement-level, over the transition tables: one upsert per (team, level, fit, status) a statement moves
            // leads between, whatever the number of rows. A row-level trigger would update the same few count rows once
            // per lead, and PostgreSQL keeps every version of a row until the transaction ends: a re-banding of a million
            // leads would slow to a crawl.
            migrationBuilder.Sql("""
                CREATE FUNCTION "Leads_Count"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO "LeadCounts" ("TeamId", "IntentLevel", "FitLevel", "Status", "Count")
                    SELECT "TeamId", "IntentLevel", "FitLevel", "Status", SUM("Delta")
                    FROM (
                        SELECT COALESCE("TeamId", 0) AS "TeamId", COALESCE("IntentLevel", '') AS "IntentLevel",
                               COALESCE("FitLevel", '') AS "FitLevel", "Status", 1 AS "Delta"
                        FROM new_leads
                        UNION ALL
                        SELECT COALESCE("TeamId", 0), COALESCE("IntentLevel", ''), COALESCE("FitLevel", ''), "Status", -1
                        FROM old_leads
                    ) AS moved
                    GROUP BY "TeamId", "IntentLevel", "FitLevel", "Status"
                    HAVING SUM("Delta") <> 0
                    ON CONFLICT ("TeamId", "IntentLevel", "FitLevel", "Status") DO UPDATE SET "Count" = "LeadCounts"."Count" + EXCLUDED."Count";
                    RETURN NULL;
                END $$;
                CREATE FUNCTION "Leads_Count_Inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO "LeadCounts" ("TeamId", "IntentLevel", "FitLevel", "Status", "Count")
                    SELECT COALESCE("TeamId", 0), COALESCE("IntentLevel", ''), COALESCE("FitLevel", ''), "Status", COUNT(*)
                    FROM new_leads GROUP BY 1, 2, 3, 4
                    ON CONFLICT ("TeamId", "IntentLevel", "FitLevel", "Status") DO UPDATE SET "Count" = "LeadCounts"."Count" + EXCLUDED."Count";
                    RETURN NULL;
                END $$;
                CREATE FUNCTION "Leads_Count_Deleted"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO "LeadCounts" ("TeamId", "IntentLevel", "FitLevel", "Status", "Count")
                    SELECT COALESCE("TeamId", 0), COALESCE("IntentLevel", ''), COALESCE("FitLevel", ''), "Status", -COUNT(*)
                    FROM old_leads GROUP BY 1, 2, 3, 4
                    ON CONFLICT ("TeamId", "IntentLevel", "FitLevel", "Status") DO UPDATE SET "Count" = "LeadCounts"."Count" + EXCLUDED."Count";
                    RETURN NULL;
                END $$;
                CREATE TRIGGER "Leads_Count_Insert" AFTER INSERT ON "Leads"
                    REFERENCING NEW TABLE AS new_leads FOR EACH STATEMENT EXECUTE FUNCTION "Leads_Count_Inserted"();
                CREATE TRIGGER "Leads_Count_Delete" AFTER DELETE ON "Leads"
                    REFERENCING OLD TABLE AS old_leads FOR EACH STATEMENT EXECUTE FUNCTION "Leads_Count_Deleted"();
                CREATE TRIGGER "Leads_Count_Update" AFTER UPDATE ON "Leads"
                    REFERENCING OLD TABLE AS old_leads NEW TABLE AS new_leads FOR EACH STATEMENT EXECUTE FUNCTION "Leads_Count"();
                INSERT INTO "LeadCounts" ("TeamId", "IntentLevel", "FitLevel", "Status", "Count")
                SELECT COALESCE("TeamId", 0), COALESCE("IntentLevel", ''), COALESCE("FitLevel", ''), "Status", COUNT(*)
                FROM "Leads" GROUP BY 1, 2, 3, 4;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS "Leads_Count_Insert" ON "Leads";
                DROP TRIGGER IF EXISTS "Leads_Count_Update" ON "Leads";
                DROP TRIGGER IF EXISTS "Leads_Count_Delete" ON "Leads";
                DROP FUNCTION IF EXISTS "Leads_Count"();
                DROP FUNCTION IF EXISTS "Leads_Count_Inserted"();
                DROP FUNCTION IF EXISTS "Leads_Count_Deleted"();
                """);

            migrationBuilder.DropTable(
                name: "LeadCounts");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_IntentLevel_FitLevel_Status",
                table: "Leads",
                columns: new[] { "IntentLevel", "FitLevel", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_TeamId_IntentLevel_FitLevel_Status",
                table: "Leads",
                columns: new[] { "TeamId", "IntentLevel", "FitLevel", "Status" });
        }
    }
}
