import { miniprograms } from "../../../api/client";

export async function loadMiniProgramLogo(id: string): Promise<Blob | null> {
  const { data, response } = await miniprograms.GET("/v1/mini-programs/{id}/logo", {
    params: { path: { id } },
    parseAs: "blob",
  });
  return response.ok && data ? data : null;
}

export const TARGET_ALIPAY_CN = "alipay_cn";
