package org.k5spark.core.text;

import java.util.List;

/**
 * Kandinsky's Qwen2_5_VLTextEmbedder input: the prompt inside the system/user template of its content type,
 * truncated to {@code max_length + crop_start} tokens (what its processor call does; the tail, including
 * {@code <|im_end|>}, is cut) and right-padded with {@code <|endoftext|>}.
 */
public final class QwenPromptTokenizer {
  /** Template and number of template tokens dropped after encoding, per content type (reference constants). */
  public enum Content {
    VIDEO(String.join("\n",
        "<|im_start|>system\nYou are a promt engineer. Describe the video in detail.",
        "Describe how the camera moves or shakes, describe the zoom and view angle, whether it follows the objects.",
        "Describe the location of the video, main characters or objects and their action.",
        "Describe the dynamism of the video and presented actions.",
        "Name the visual style of the video: whether it is a professional footage, user generated content, some kind"
            + " of animation, video game or scren content.",
        "Describe the visual effects, postprocessing and transitions if they are presented in the video.",
        "Pay attention to the order of key actions shown in the scene.<|im_end|>",
        "<|im_start|>user\n{}<|im_end|>"), 129),
    IMAGE(String.join("\n",
        "<|im_start|>system\nYou are a promt engineer. Describe the image by detailing the color, shape, size, texture,"
            + " quantity, text, spatial relationships of the objects and background:<|im_end|>",
        "<|im_start|>user\n{}<|im_end|>"), 41);

    private final String template;
    private final int cropStart;

    Content(String template, int cropStart) {
      this.template = template;
      this.cropStart = cropStart;
    }

    public String template() {
      return template;
    }

    public int cropStart() {
      return cropStart;
    }

    /** The text up to the prompt (its token count is {@link #cropStart()} with the real tokenizer). */
    public String prefix() {
      return template.substring(0, template.indexOf("{}"));
    }

    public String format(String prompt) {
      // Python str.format of the reference: the prompt is inserted verbatim
      return template.replace("{}", prompt);
    }

    public static Content parse(String s) {
      return switch (s.toLowerCase(java.util.Locale.ROOT)) {
        case "video" -> VIDEO;
        case "image" -> IMAGE;
        default -> throw new IllegalArgumentException("type_of_content must be video or image, got " + s);
      };
    }
  }

  private final TextTokenizer tokenizer;
  private final long padId;

  public QwenPromptTokenizer(TextTokenizer tokenizer) {
    this.tokenizer = tokenizer;
    this.padId = tokenizer.padId("<|endoftext|>");
  }

  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  /** @param maxLength the config's {@code text_embedder.qwen.max_length} (256): tokens kept after the crop */
  public TokenBatch tokenize(List<String> prompts, Content content, int maxLength) {
    int limit = maxLength + content.cropStart();
    long[][] rows = new long[prompts.size()][];
    boolean[] truncated = new boolean[rows.length];
    int[] full = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      long[] ids = tokenizer.ids(content.format(prompts.get(i)), true);
      full[i] = ids.length;
      truncated[i] = ids.length > limit;
      rows[i] = truncated[i] ? java.util.Arrays.copyOf(ids, limit) : ids;
    }
    return new TokenBatch(rows, padId, truncated, full);
  }
}
