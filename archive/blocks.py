from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Attribution"), required=False)

    class Meta:
        icon = "openquote"
        template = "components/blocks/quote_block.html"


class LabelledImageBlock(ImageBlock):
    """Wagtail's ImageBlock whose image chooser has a translated label: Wagtail names it after
    its block name, so the Swedish admin read "Image" over it (editor review 7). Deconstructs
    as Wagtail's ImageBlock, so migrations do not change."""

    def __init__(self, required=True, **kwargs):
        super().__init__(required=required, **kwargs)
        chooser = self.child_blocks["image"]
        chooser.meta.label = chooser.label = _("Image")


class CaptionedImageBlock(blocks.StructBlock):
    image = LabelledImageBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False)

    class Meta:
        icon = "image"
        template = "components/blocks/image_block.html"


class SeminarBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul"],
        template="components/blocks/paragraph_block.html",
    )
    quote = QuoteBlock(label=_("Quote"))
    image = CaptionedImageBlock(label=_("Image"))
    embed = EmbedBlock(label=_("Embed"), template="components/blocks/embed_block.html")
