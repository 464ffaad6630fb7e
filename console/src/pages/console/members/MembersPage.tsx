import { useCallback, useEffect, useState } from "react";
import { Link } from "react-router";
import { call, workspaces } from "../../../api/client";
import type { Member, Problem } from "../../../api/types";
import { Dialog } from "../../../components/Dialog";
import { EmailRoleForm, type AssignableRole } from "../../../components/EmailRoleForm";
import { Loading } from "../../../components/Loading";
import { Notice, ProblemAlert } from "../../../components/ProblemAlert";
import { InvitationsPanel } from "../../invitations/InvitationsPanel";
import { canGrant } from "../../grants/grants";
import { useI18n } from "../../../i18n";
import { workspacePaths } from "../../../routes";
import { useWorkspace } from "../ConsoleLayout";
import { ROLE_LABELS } from "../workspaces/WorkspacesPage";

function AddMember({ workspaceId, onAdded }: { workspaceId: string; onAdded: (member: Member) => void }) {
  const { t } = useI18n();
  return (
    <section className="panel" aria-labelledby="add-member-title">
      <h2 id="add-member-title">{t("members.add.title")}</h2>
      <p className="muted">{t("members.add.text")}</p>
      <EmailRoleForm
        formId="member"
        labels={{ email: "members.email", role: "members.role", submit: "members.add.submit", invalidEmail: "members.error.email" }}
        send={(body) => call(workspaces.POST("/v1/workspaces/{id}/members", { params: { path: { id: workspaceId } }, body }))}
        onDone={onAdded}
      />
    </section>
  );
}

/** The workspace's members; the owner adds, changes and removes them. */
export function MembersPage() {
  const { t, formatDate } = useI18n();
  const workspace = useWorkspace();
  const isOwner = workspace.my_role === "owner";
  const [members, setMembers] = useState<Member[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);

  const load = useCallback(async () => {
    const result = await call(workspaces.GET("/v1/workspaces/{id}/members", { params: { path: { id: workspace.id } } }));
    if (!result.ok) return setProblem(result.problem);
    setMembers(result.data.items);
  }, [workspace.id]);

  useEffect(() => {
    setMembers(null);
    void load();
  }, [load]);

  async function changeRole(member: Member, role: AssignableRole) {
    const result = await call(
      workspaces.PATCH("/v1/workspaces/{id}/members/{account_id}", {
        params: { path: { id: workspace.id, account_id: member.account_id } },
        body: { role },
      }),
    );
    if (!result.ok) return setProblem(result.problem);
    setProblem(null);
    setNotice(t("members.changed", { name: member.full_name, role: t(ROLE_LABELS[role]) }));
    await load();
  }

  async function remove(member: Member) {
    setRemoving(null);
    const result = await call(
      workspaces.DELETE("/v1/workspaces/{id}/members/{account_id}", {
        params: { path: { id: workspace.id, account_id: member.account_id } },
      }),
    );
    if (!result.ok) return setProblem(result.problem);
    setProblem(null);
    setNotice(t("members.removed", { name: member.full_name }));
    await load();
  }

  return (
    <div className="page">
      <p className="eyebrow">{workspace.name}</p>
      <h1>{t("members.title")}</h1>
      <p className="lead">{t("members.lead")}</p>
      {!isOwner ? <Notice>{t("members.owner_only")}</Notice> : null}
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <ProblemAlert problem={problem} />
      {isOwner ? <InvitationsPanel workspaceId={workspace.id} /> : null}
      {isOwner ? (
        <AddMember
          workspaceId={workspace.id}
          onAdded={(member) => {
            setNotice(t("members.added", { name: member.full_name, role: t(ROLE_LABELS[member.role]) }));
            void load();
          }}
        />
      ) : null}
      {members === null && !problem ? <Loading /> : null}
      {members ? (
        <table className="table">
          <caption className="visually-hidden">{t("members.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("members.name")}</th>
              <th scope="col">{t("members.email")}</th>
              <th scope="col">{t("members.role")}</th>
              <th scope="col">{t("members.added_at")}</th>
              {isOwner ? (
                <th scope="col">
                  <span className="visually-hidden">{t("mp.list.actions")}</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {members.map((member) => {
              const fixed = member.role === "owner";
              return (
                <tr key={member.account_id}>
                  <td>
                    {canGrant(workspace.my_role) && member.role === "developer" ? (
                      <Link to={workspacePaths(workspace.id).member(member.account_id)}>{member.full_name}</Link>
                    ) : (
                      member.full_name
                    )}
                  </td>
                  <td>{member.email}</td>
                  <td>
                    {isOwner && !fixed ? (
                      <select
                        className="input input--compact"
                        aria-label={t("members.role_of", { name: member.full_name })}
                        value={member.role}
                        onChange={(e) => void changeRole(member, e.target.value as AssignableRole)}
                      >
                        <option value="master">{t("role.master")}</option>
                        <option value="developer">{t("role.developer")}</option>
                      </select>
                    ) : (
                      <span className={`badge badge--${member.role}`}>{t(ROLE_LABELS[member.role])}</span>
                    )}
                  </td>
                  <td>{formatDate(member.added_at)}</td>
                  {isOwner ? (
                    <td>
                      {fixed ? null : (
                        <button type="button" className="button button--small button--danger" onClick={() => setRemoving(member)}>
                          {t("members.remove")}
                          <span className="visually-hidden"> {member.full_name}</span>
                        </button>
                      )}
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      <dl className="role-legend">
        <dt>{t("role.owner")}</dt>
        <dd>{t("role.owner_text")}</dd>
        <dt>{t("role.master")}</dt>
        <dd>{t("role.master_text")}</dd>
        <dt>{t("role.developer")}</dt>
        <dd>{t("role.developer_text")}</dd>
      </dl>
      <Dialog
        open={removing !== null}
        title={t("members.remove_confirm.title")}
        onClose={() => setRemoving(null)}
        footer={
          <>
            <button type="button" className="button" onClick={() => setRemoving(null)} autoFocus>
              {t("common.cancel")}
            </button>
            <button type="button" className="button button--danger" onClick={() => removing && void remove(removing)}>
              {t("members.remove")}
            </button>
          </>
        }
      >
        <p>{t("members.remove_confirm.text", { name: removing?.full_name ?? "", email: removing?.email ?? "" })}</p>
      </Dialog>
    </div>
  );
}
