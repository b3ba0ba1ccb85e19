// The memory map's WebGL2 shader: reads each cell's page code from an r8 texture, looks the code
// up in a 256 x 2 palette texture (base colour, mark colour + pattern id) and draws the role's
// mark pattern and the grid gaps once cells are big enough to show them.
import { Shader, UniformGroup, type TextureSource } from 'pixi.js';

const VERTEX = /* glsl */ `#version 300 es
in vec2 aPosition;
out vec2 vCell;
uniform mat3 uProjectionMatrix;
uniform mat3 uWorldTransformMatrix;
uniform mat3 uTransformMatrix;

void main() {
  mat3 mvp = uProjectionMatrix * uWorldTransformMatrix * uTransformMatrix;
  gl_Position = vec4((mvp * vec3(aPosition, 1.0)).xy, 0.0, 1.0);
  vCell = aPosition;
}
`;

// Pattern ids match MarkPattern in page-code.ts. Every pattern leaves the middle of the cell in
// the base colour, so the cell centre always shows the page's colour (tests read it there).
const FRAGMENT = /* glsl */ `#version 300 es
precision highp float;
in vec2 vCell;
out vec4 finalColor;
uniform sampler2D uCodes;
uniform sampler2D uPalette;
// x, y: grid size in cells; z: device pixels per cell; w: unused.
uniform vec4 uMap;
uniform vec3 uBackground;

bool markAt(int pattern, vec2 f) {
  vec2 d = abs(f - 0.5);
  if (max(d.x, d.y) < 0.2) return false;
  if (pattern == 1) return fract((f.x + f.y) * 2.5) < 0.3;
  if (pattern == 2) return max(d.x, d.y) > 0.3;
  if (pattern == 3) return ((int(f.x * 4.0) + int(f.y * 4.0)) & 1) == 1;
  if (pattern == 4) return f.x + f.y < 0.5;
  if (pattern == 5) return fract(f.x * 3.0) < 0.3;
  if (pattern == 6) return fract((f.x - f.y) * 3.0) < 0.25;
  if (pattern == 7) return f.y > 0.75;
  return false;
}

void main() {
  ivec2 cell = clamp(ivec2(floor(vCell)), ivec2(0), ivec2(uMap.xy) - 1);
  int code = int(texelFetch(uCodes, cell, 0).r * 255.0 + 0.5);
  vec4 base = texelFetch(uPalette, ivec2(code, 0), 0);
  vec4 mark = texelFetch(uPalette, ivec2(code, 1), 0);
  int pattern = int(mark.a * 255.0 + 0.5);
  vec2 f = fract(vCell);
  float px = uMap.z;
  vec3 colour = base.rgb;
  if (px >= 6.0 && markAt(pattern, f)) colour = mark.rgb;
  // One device pixel of background between cells once they are 5 pixels or more.
  if (px >= 5.0 && (f.x * px < 1.0 || f.y * px < 1.0)) colour = uBackground;
  finalColor = vec4(colour, 1.0);
}
`;

export interface MapShader {
  readonly shader: Shader;
  readonly uniforms: UniformGroup<{
    uMap: { value: Float32Array; type: 'vec4<f32>' };
    uBackground: { value: Float32Array; type: 'vec3<f32>' };
  }>;
}

/** Builds the shader over the code texture and the palette texture (both nearest-sampled). */
export function createMapShader(codes: TextureSource, palette: TextureSource, background: number): MapShader {
  const uniforms = new UniformGroup({
    uMap: { value: new Float32Array([codes.width, codes.height, 1, 0]), type: 'vec4<f32>' as const },
    uBackground: {
      value: new Float32Array([((background >> 16) & 255) / 255, ((background >> 8) & 255) / 255, (background & 255) / 255]),
      type: 'vec3<f32>' as const,
    },
  });
  const shader = Shader.from({
    gl: { vertex: VERTEX, fragment: FRAGMENT, name: 'jumpback-memory-map' },
    resources: { uCodes: codes, uPalette: palette, mapUniforms: uniforms },
  });
  return { shader, uniforms };
}
