import { accounts, call } from "../../api/client";
import { updateAccount } from "../../api/session";

/** The account as the server has it now (e.g. verified in another tab), into the session. */
export async function refreshAccount(): Promise<void> {
  const result = await call(accounts.GET("/v1/accounts/me"));
  if (result.ok) updateAccount(result.data.account, result.data.next_step);
}
