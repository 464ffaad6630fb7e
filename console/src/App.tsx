import { createBrowserRouter, Navigate, RouterProvider } from "react-router";
import { RequireAuth } from "./auth";
import { NotificationsPage } from "./pages/admin/notifications/NotificationsPage";
import { ApplyLayout } from "./pages/apply/ApplyLayout";
import { DetailsPage } from "./pages/apply/details/DetailsPage";
import { ReviewPage } from "./pages/apply/review/ReviewPage";
import { RolePage } from "./pages/apply/role/RolePage";
import { StatusPage } from "./pages/apply/status/StatusPage";
import { ConsoleHome, ConsoleLayout } from "./pages/console/ConsoleLayout";
import { MembersPage } from "./pages/console/members/MembersPage";
import { ChooseTargetPage } from "./pages/console/mini-programs/create/ChooseTargetPage";
import { CreateMiniProgramPage } from "./pages/console/mini-programs/create/CreateMiniProgramPage";
import { EditMiniProgramPage } from "./pages/console/mini-programs/edit/EditMiniProgramPage";
import { MiniProgramsPage } from "./pages/console/mini-programs/list/MiniProgramsPage";
import { WorkspacesPage } from "./pages/console/workspaces/WorkspacesPage";
import { ActivityPage } from "./pages/activity/ActivityPage";
import { MemberAccessPage } from "./pages/grants/MemberAccessPage";
import { MiniProgramDevelopersPage } from "./pages/grants/MiniProgramDevelopersPage";
import { HomeRedirect } from "./pages/home/HomeRedirect";
import { AcceptInvitationPage } from "./pages/invitations/AcceptInvitationPage";
import { LoginPage } from "./pages/login/LoginPage";
import { NotFoundPage } from "./pages/not-found/NotFoundPage";
import { DetailPage } from "./pages/review/detail/DetailPage";
import { QueuePage } from "./pages/review/queue/QueuePage";
import { SignupPage } from "./pages/signup/SignupPage";
import { ForgotPasswordPage } from "./pages/reset/ForgotPasswordPage";
import { ResetPasswordPage } from "./pages/reset/ResetPasswordPage";
import { SecurityPage } from "./pages/security/SecurityPage";
import { SessionsPage } from "./pages/security/SessionsPage";
import { VerifyEmailPage } from "./pages/verify-email/VerifyEmailPage";
import { TermsPage } from "./pages/terms/TermsPage";

const router = createBrowserRouter([
  { path: "/", element: <HomeRedirect /> },
  { path: "/signup", element: <SignupPage /> },
  { path: "/login", element: <LoginPage /> },
  { path: "/terms", element: <TermsPage /> },
  // Identity: the pages the mails link to (notifier kinds use these paths), and the account's own.
  { path: "/verify-email", element: <VerifyEmailPage /> },
  { path: "/forgot-password", element: <ForgotPasswordPage /> },
  { path: "/reset-password", element: <ResetPasswordPage /> },
  {
    path: "/account/security",
    element: (
      <RequireAuth>
        <SecurityPage />
      </RequireAuth>
    ),
  },
  {
    path: "/account/sessions",
    element: (
      <RequireAuth>
        <SessionsPage />
      </RequireAuth>
    ),
  },
  { path: "/invitations/accept", element: <AcceptInvitationPage /> },
  {
    path: "/apply",
    element: (
      <RequireAuth>
        <ApplyLayout />
      </RequireAuth>
    ),
    children: [
      { index: true, element: <Navigate to="role" replace /> },
      { path: "role", element: <RolePage /> },
      { path: "details", element: <DetailsPage /> },
      { path: "review", element: <ReviewPage /> },
      { path: "status", element: <StatusPage /> },
    ],
  },
  {
    path: "/console",
    element: (
      <RequireAuth>
        <ConsoleLayout />
      </RequireAuth>
    ),
    children: [
      { index: true, element: <ConsoleHome /> },
      { path: "workspaces", element: <WorkspacesPage /> },
      { path: "w/:workspaceId", element: <Navigate to="mini-programs" replace /> },
      { path: "w/:workspaceId/mini-programs", element: <MiniProgramsPage /> },
      { path: "w/:workspaceId/mini-programs/new", element: <ChooseTargetPage /> },
      { path: "w/:workspaceId/mini-programs/new/:target", element: <CreateMiniProgramPage /> },
      { path: "w/:workspaceId/mini-programs/:miniProgramId/edit", element: <EditMiniProgramPage /> },
      { path: "w/:workspaceId/members", element: <MembersPage /> },
      { path: "w/:workspaceId/members/:accountId", element: <MemberAccessPage /> },
      { path: "w/:workspaceId/activity", element: <ActivityPage /> },
      { path: "w/:workspaceId/mini-programs/:miniProgramId/developers", element: <MiniProgramDevelopersPage /> },
    ],
  },
  {
    path: "/review",
    element: (
      <RequireAuth role="reviewer">
        <QueuePage />
      </RequireAuth>
    ),
  },
  {
    path: "/review/:applicationId",
    element: (
      <RequireAuth role="reviewer">
        <DetailPage />
      </RequireAuth>
    ),
  },
  {
    path: "/admin/notifications",
    element: (
      <RequireAuth role="admin">
        <NotificationsPage />
      </RequireAuth>
    ),
  },
  { path: "*", element: <NotFoundPage /> },
]);

export function App() {
  return <RouterProvider router={router} />;
}
