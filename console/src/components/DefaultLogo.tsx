import { logoInitial } from "../rules/defaultLogo";

/** The default logo as the workspaces service draws it: the initial, white on the colour. */
export function DefaultLogo({ name, color, size = 96, label }: { name: string; color: string; size?: number; label: string }) {
  return (
    <svg
      className="logo-image"
      role="img"
      aria-label={label}
      width={size}
      height={size}
      viewBox="0 0 256 256"
      xmlns="http://www.w3.org/2000/svg"
    >
      <rect width="256" height="256" fill={color} />
      <text
        x="128"
        y="128"
        dy=".35em"
        textAnchor="middle"
        fill="#FFFFFF"
        fontFamily="PingFang SC, Microsoft YaHei, Noto Sans CJK SC, Arial, sans-serif"
        fontSize="128"
        fontWeight="600"
      >
        {logoInitial(name)}
      </text>
    </svg>
  );
}
