import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Setting } from "@/components/ui/setting";
import { ResourceActions } from "@/components/console/resource-actions";
import { MetadataSetting } from "@/components/console/metadata-setting";
import { ArchivedAlert, ResourceHeader } from "@/components/console/resource-header";
import { archiveEnvironmentAction, deleteEnvironmentAction } from "@/lib/actions/environments";
import { EnvironmentForm } from "@/components/environments/environment-form";
import { userMay } from "@/lib/auth/policy";
import { requireUser } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format";
import { loadOrNotFound } from "@/lib/page-resource";
import { getEnvironment } from "@/lib/server/environments";
import { sessionsUsingEnvironment } from "@/lib/server/resource-usage";
import { USED_BY_REASON_ID, UsedBySessions } from "@/components/sessions/used-by-sessions";
import { serializeEnvironment } from "@/lib/serializers/environments";
import { titleFromId } from "../../resource-pages";

type Params = Promise<{ environmentId: string }>;

export const generateMetadata = titleFromId("environmentId", "Environment");

export default async function EnvironmentPage({ params }: { params: Params }) {
  const user = await requireUser();
  const environment = await loadOrNotFound((await params).environmentId, async (id) => serializeEnvironment(await getEnvironment(id)));
  const usage = await sessionsUsingEnvironment(environment.id);
  const deleteBlocked =
    usage.count > 0
      ? { reason: `Used by ${usage.count} session${usage.count === 1 ? "" : "s"}: delete them first`, describedBy: USED_BY_REASON_ID }
      : undefined;
  const archived = environment.archived_at !== null;
  const writable = userMay(user, "write");
  const networking = environment.config.networking;
  const metadata = Object.entries(environment.metadata);

  return (
    <>
      <ResourceHeader
        docs="environments"
        list={{ href: "/environments", label: "Environments" }}
        title={environment.name}
        id={environment.id}
        archivedAt={environment.archived_at}
        badges={networking.type === "limited" ? <Badge tone="info">Limited networking</Badge> : <Badge>Unrestricted networking</Badge>}
        actions={
          writable ? (
            <ResourceActions
              noun="environment"
              archived={archived}
              deleteBlocked={deleteBlocked}
              archive={{
                action: archiveEnvironmentAction.bind(null, environment.id),
                done: "Environment archived.",
                body: (
                  <>
                    <span className="font-medium text-fg">{environment.name}</span> becomes read-only and starts no new sessions. Sessions already using it keep
                    it.
                  </>
                ),
              }}
              // Disabled while any session uses it (the card below says which); the service refuses (409) a race all the same.
              remove={{
                action: deleteEnvironmentAction,
                hiddenFields: { environment_id: environment.id },
                confirmField: "confirm_name",
                expected: environment.name,
                children: (
                  <>
                    This permanently deletes <span className="font-medium text-fg">{environment.name}</span>. It cannot be undone. While any session uses it
                    (archived ones too), the delete is refused; archive it instead to keep it from new sessions.
                  </>
                ),
              }}
            />
          ) : null
        }
      />
      <ArchivedAlert archived={archived} noun="environment">
        It is read-only and starts no new sessions.
      </ArchivedAlert>
      {writable && !archived ? (
        <EnvironmentForm
          initial={{
            environmentId: environment.id,
            name: environment.name,
            description: environment.description ?? "",
            networking: networking.type,
            allowedHosts: networking.type === "limited" ? networking.allowed_hosts : [],
            allowPackageManagers: networking.type === "limited" && networking.allow_package_managers,
            metadata: metadata.map(([key, value]) => ({ key, value })),
          }}
        />
      ) : (
        <Card>
          <CardHeader title="Settings" />
          <CardBody className="py-1">
            <dl className="grid gap-x-8 sm:grid-cols-2">
              <Setting label="Description">{environment.description ?? <span className="text-fg-subtle">None</span>}</Setting>
              <Setting label="Allowed hosts" mono>
                {networking.type === "limited" ? networking.allowed_hosts.join(", ") || "None" : "Any host"}
              </Setting>
              {networking.type === "limited" ? (
                <Setting label="Package managers">{networking.allow_package_managers ? "Registries allowed" : "Not allowed"}</Setting>
              ) : null}
              <Setting label="Created">{formatDateTime(environment.created_at)}</Setting>
              <Setting label="Updated">{formatDateTime(environment.updated_at)}</Setting>
              <MetadataSetting entries={metadata} />
            </dl>
          </CardBody>
        </Card>
      )}
      <div className="mt-5">
        <UsedBySessions usage={usage} noun="environment" unblock="delete those sessions first (archiving them is not enough)." />
      </div>
    </>
  );
}
